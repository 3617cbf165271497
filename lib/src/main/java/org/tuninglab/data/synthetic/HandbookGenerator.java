package org.tuninglab.data.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tuninglab.io.AtomicFiles;

/**
 * Writes the workshop's RAG corpus: the user handbook of a fictional compute cluster, whose facts
 * (host names, quotas, limits, dates) are drawn from a seeded generator so that no model can have
 * learnt them, and labelled questions whose answers sit in named sections.
 *
 * <p>Output, under the target folder: {@code docs/*.md} (seven markdown documents, one {@code #}
 * title and {@code ##} sections each) and {@code questions.jsonl} ({@code id}, {@code question},
 * {@code answer}, {@code relevant}: the {@code org.tuninglab.rag.HeadingChunker} ids of the sections holding the
 * answer). The same seed gives the same bytes.
 *
 * <p>Regenerate with {@code ./tuninglab datasets} (the shipped seed), or this class's {@code main}
 * for another seed.
 */
public final class HandbookGenerator {
  /** The seed of the shipped corpus. */
  public static final long SEED = 20260501L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Random random;
  private final Map<String, String> docs = new LinkedHashMap<>();
  private final List<String> questions = new ArrayList<>();

  private HandbookGenerator(long seed) {
    this.random = new Random(seed);
  }

  /**
   * Generates the corpus into a folder, writing each file atomically.
   *
   * @param dir the folder (created if needed)
   * @param seed the seed
   * @return the files written, relative to {@code dir}
   * @throws IOException if a file cannot be written
   */
  public static List<String> generate(Path dir, long seed) throws IOException {
    Map<String, String> files = files(seed);
    for (Map.Entry<String, String> f : files.entrySet()) {
      AtomicFiles.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    return List.copyOf(files.keySet());
  }

  /**
   * The corpus's files and their text, without writing them.
   *
   * @param seed the seed
   * @return relative path to content, documents first, then {@code questions.jsonl}
   */
  public static Map<String, String> files(long seed) {
    HandbookGenerator g = new HandbookGenerator(seed);
    g.write();
    Map<String, String> files = new LinkedHashMap<>();
    g.docs.forEach((name, text) -> files.put("docs/" + name, text));
    files.put("questions.jsonl", String.join("", g.questions));
    return files;
  }

  /**
   * Regenerates the corpus: {@code HandbookGenerator DIR [SEED]}.
   *
   * @param args the target folder and, optionally, the seed
   * @throws IOException if a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: HandbookGenerator DIR [SEED]   (the shipped corpus uses seed "
          + SEED + ")");
      System.exit(2);
    }
    long seed = args.length == 2 ? Long.parseLong(args[1]) : SEED;
    for (String file : generate(Path.of(args[0]), seed)) {
      System.out.println("wrote " + Path.of(args[0]).resolve(file));
    }
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private int between(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  private void question(String section, String question, String answer) {
    ObjectNode q = JSON.createObjectNode();
    q.put("id", String.format("q%02d", questions.size() + 1));
    q.put("question", question);
    q.put("answer", answer);
    q.putArray("relevant").add(section);
    questions.add(q.toString() + "\n");
  }

  private void write() {
    String cluster = pick("Kestrel", "Osprey", "Merlin", "Harrier", "Peregrine");
    String domain = cluster.toLowerCase(java.util.Locale.ROOT) + ".example.edu";
    String portal = pick("Nestbox", "Perch", "Roost", "Eyrie");
    int approvalDays = between(2, 5);
    String mfa = pick("Duo Mobile", "Okta Verify", "Microsoft Authenticator");
    int sshPort = pick(22, 2222, 2200);
    String login = "login." + domain;
    int homeGb = pick(25, 50, 75, 100);
    String backup = pick("01:30", "02:00", "03:15", "23:45");
    int snapshotDays = between(7, 21);
    int scratchTb = pick(5, 10, 20, 40);
    int purgeDays = pick(21, 30, 45, 60, 90);
    int inodesMillions = between(1, 5);
    int projectDollars = 5 * between(6, 18);
    int projectMinTb = between(1, 5);
    String dtn = "dtn" + between(1, 4) + "." + domain;
    String globus = cluster + " " + pick("Data Hub", "Transfer Gateway", "Research Data");
    String cpuPart = pick("ridge", "summit", "basin", "prairie");
    int cpuNodes = 10 * between(10, 40);
    int cores = pick(48, 64, 96, 128);
    int memGb = pick(256, 384, 512);
    int cpuWallDays = pick(3, 5, 7, 14);
    String gpuPart = pick("canyon", "glacier", "aurora", "delta");
    String[][] gpus = {{"NVIDIA A100 80GB", "a100"}, {"NVIDIA H100 94GB", "h100"},
        {"NVIDIA L40S 48GB", "l40s"}, {"NVIDIA V100 32GB", "v100"}};
    String[] gpu = gpus[random.nextInt(gpus.length)];
    int gpusPerNode = pick(2, 4, 8);
    int gpuNodes = between(8, 40);
    int gpuWallHours = pick(24, 48, 72);
    int interactiveHours = pick(4, 8, 12);
    int maxQueued = pick(500, 1000, 2000, 5000);
    int maxCores = pick(512, 1024, 2048);
    int arrayMax = pick(1000, 5000, 10000);
    int halfLifeDays = pick(7, 14, 28);
    String compiler = pick("GCC 12.3.0", "GCC 13.2.0", "Intel oneAPI 2024.1");
    String apptainer = pick("1.2.5", "1.3.1", "1.3.4");
    String conda = pick("miniforge3/24.3.0", "anaconda3/2023.09", "mambaforge/23.11");
    String licenseHost = "lic" + between(1, 3) + "." + domain;
    int licensePort = pick(27000, 27001, 1055);
    String email = pick("hpc-help", "research-computing", "cluster-support") + "@" + domain;
    String weekday = pick("Tuesday", "Wednesday", "Thursday");
    String hours = pick("10:00 to 12:00", "13:00 to 15:00", "14:00 to 16:00");
    String room = pick("Room 214 of Barre Hall", "Room 118 of the Cooper Library",
        "Room 305 of Hunter Hall");
    String maintenance = pick("first Tuesday", "second Wednesday", "third Monday");
    String maintHours = pick("06:00 to 18:00", "07:00 to 19:00", "08:00 to 20:00");
    int loginCpuMinutes = pick(10, 15, 30);
    int loginMemGb = pick(4, 8, 16);
    int inactiveDays = pick(180, 270, 365);
    int removalDays = pick(30, 60, 90);
    String award = "OAC-" + between(1000000, 2999999);

    docs.put("getting-started.md", """
        # Getting Started

        %1$s is the shared research cluster of the university. This guide takes you from no \
        account to your first login.

        ## Accounts

        Faculty members, staff and students request an account through the %2$s portal. A \
        student's request is approved by their faculty sponsor, and the account is ready within \
        %3$d business days of approval. The welcome email names your group and your storage.

        ## Logging in

        Connect with SSH to %4$s on port %5$d. Every login asks for a second factor: approve \
        the push notification in the %6$s app on your phone. Windows users can use the built-in \
        OpenSSH client or PuTTY.

        ## First steps

        After the first login, change nothing in your shell startup files until you have read \
        the Software guide. Run `checkquota` to see your home and scratch usage, and `myjobs` \
        to see your queued and running work.
        """.formatted(cluster, portal, approvalDays, login, sshPort, mfa));
    question("getting-started.md#accounts", "Where do I request an account on the cluster?",
        "Through the " + portal + " portal.");
    question("getting-started.md#accounts",
        "How long after approval until a new account can be used?",
        "Within " + approvalDays + " business days.");
    question("getting-started.md#logging-in", "Which host and port do I SSH to?",
        login + " on port " + sshPort + ".");
    question("getting-started.md#logging-in", "What app approves my two-factor sign-in?",
        "The " + mfa + " app.");

    docs.put("storage.md", """
        # Storage

        Each user has three places to keep files. Pick the one that fits how long the data \
        must live.

        ## Home directories

        Your home directory holds %1$d GB and is backed up every night at %2$s. Snapshots of \
        the last %3$d days are kept under `~/.snapshot`, so you can restore a deleted file \
        yourself.

        ## Scratch

        Scratch at `/scratch/$USER` is fast parallel storage for running jobs, with a quota of \
        %4$d TB and %5$d million files. It is not backed up. Files that have not been accessed \
        for %6$d days are purged automatically, without further notice.

        ## Project space

        Research groups can buy project space for data that must outlive a job. It costs $%7$d \
        per TB per year, with a minimum purchase of %8$d TB, and is backed up weekly.

        ## Data transfer

        Move large datasets through the data transfer node %9$s, never through a login node. \
        For transfers to and from other institutions, use the Globus collection "%10$s".
        """.formatted(homeGb, backup, snapshotDays, scratchTb, inodesMillions, purgeDays,
        projectDollars, projectMinTb, dtn, globus));
    question("storage.md#home-directories", "How big is the home directory quota?",
        homeGb + " GB.");
    question("storage.md#home-directories", "At what time does the nightly backup of home run?",
        backup + ".");
    question("storage.md#scratch",
        "How long can my files sit untouched on scratch before they are deleted?",
        purgeDays + " days.");
    question("storage.md#scratch", "How much scratch space does each user get?",
        scratchTb + " TB and " + inodesMillions + " million files.");
    question("storage.md#project-space", "What does a terabyte of project space cost?",
        "$" + projectDollars + " per TB per year, at least " + projectMinTb + " TB.");
    question("storage.md#data-transfer", "Which machine should I use to copy a big dataset in?",
        "The data transfer node " + dtn + ".");

    docs.put("partitions.md", """
        # Partitions and Limits

        The scheduler divides the cluster into partitions. Choose the partition that matches \
        the hardware your job needs.

        ## CPU partition

        The `%1$s` partition has %2$d nodes, each with %3$d cores and %4$d GB of memory. Jobs \
        on it may run for at most %5$d days.

        ## GPU partition

        The `%6$s` partition has %7$d nodes with %8$d %9$s cards each. A job there may run for \
        at most %10$d hours; checkpoint longer training runs and resubmit them.

        ## Interactive sessions

        The `interactive` partition is for debugging and notebooks. A session lasts at most %11$d \
        hours and may use one node.

        ## Job limits

        Each user may have %12$d jobs waiting in the queue and use %13$d cores at the same time \
        across all partitions. Jobs beyond these limits wait, they are not rejected.
        """.formatted(cpuPart, cpuNodes, cores, memGb, cpuWallDays, gpuPart, gpuNodes,
        gpusPerNode, gpu[0], gpuWallHours, interactiveHours, maxQueued, maxCores));
    question("partitions.md#cpu-partition", "What is the longest a job can run on the CPU nodes?",
        cpuWallDays + " days.");
    question("partitions.md#cpu-partition", "How many cores does a CPU node have?",
        cores + " cores.");
    question("partitions.md#gpu-partition", "Which graphics cards are in the GPU nodes?",
        gpusPerNode + " " + gpu[0] + " cards a node.");
    question("partitions.md#gpu-partition", "What is the time limit for jobs on the GPU partition?",
        gpuWallHours + " hours.");
    question("partitions.md#interactive-sessions",
        "For how many hours can I keep a debugging session open?", interactiveHours + " hours.");
    question("partitions.md#job-limits", "How many jobs may I have waiting in the queue?",
        maxQueued + " jobs.");

    docs.put("jobs.md", """
        # Submitting Jobs

        %1$s runs Slurm. Work goes to the compute nodes as batch jobs; login nodes are only for \
        editing and submitting.

        ## Batch scripts

        A batch script starts with `#SBATCH` lines that ask for resources, for example \
        `#SBATCH --partition=%2$s`, `--cpus-per-task` and `--time`. Submit it with `sbatch \
        script.sh`; the job id it prints identifies the job in `squeue` and `scancel`.

        ## Array jobs

        To run the same script over many inputs, submit an array with `--array=1-100`. An \
        array may hold at most %3$d tasks; each task reads its index from \
        `SLURM_ARRAY_TASK_ID`.

        ## Requesting GPUs

        Ask for accelerators with the generic resource option: `--gres=gpu:%4$s:2` requests two \
        cards on one node. Jobs that request no GPU cannot start on the `%5$s` partition.

        ## Job priority

        Priority follows fair share: your recent usage lowers the priority of your next jobs. \
        Past usage counts half as much every %6$d days, so heavy use is forgotten after a few \
        weeks.
        """.formatted(cluster, cpuPart, arrayMax, gpu[1], gpuPart, halfLifeDays));
    question("jobs.md#array-jobs", "What is the maximum number of tasks in a job array?",
        arrayMax + " tasks.");
    question("jobs.md#requesting-gpus", "How do I ask for two GPUs in my job script?",
        "--gres=gpu:" + gpu[1] + ":2");
    question("jobs.md#job-priority",
        "How quickly is my past usage forgotten when my priority is computed?",
        "It counts half as much every " + halfLifeDays + " days.");
    question("jobs.md#batch-scripts", "Which command submits a job script?", "sbatch script.sh");

    docs.put("software.md", """
        # Software

        Software on %1$s is installed centrally and loaded on demand, so different versions can \
        live side by side.

        ## Modules

        Load software with `module load NAME/VERSION` and list it with `module avail`. The \
        default compiler, loaded at login, is %2$s.

        ## Containers

        Apptainer %3$s runs container images without root. Point its cache at scratch with \
        `export APPTAINER_CACHEDIR=/scratch/$USER/apptainer`, or it fills your home quota.

        ## Python

        For Python environments, load `%4$s` and create one environment per project with \
        `conda create`. Do not install packages into the base environment.

        ## Licensed software

        MATLAB, ANSYS and Gaussian check out licenses from %5$s on port %6$d. Jobs that start \
        when all licenses are taken fail at once, so request a license with `-L`.
        """.formatted(cluster, compiler, apptainer, conda, licenseHost, licensePort));
    question("software.md#modules", "Which compiler is loaded by default when I log in?",
        compiler + ".");
    question("software.md#containers", "Which version of Apptainer is installed?", apptainer + ".");
    question("software.md#python", "Which module gives me conda?", conda + ".");
    question("software.md#licensed-software", "Where does MATLAB get its license from?",
        licenseHost + " on port " + licensePort + ".");

    docs.put("support.md", """
        # Getting Help

        The research computing team answers questions about accounts, jobs and software.

        ## Contact

        Write to %1$s with your user name, the job id and the error message. Tickets are \
        answered on working days, usually within one day.

        ## Office hours

        Walk-in office hours are every %2$s from %3$s in %4$s. Bring your laptop and the script \
        that fails.

        ## Maintenance

        The cluster is down for maintenance on the %5$s of every month, from %6$s. Jobs that \
        would run into the window wait until it ends.
        """.formatted(email, weekday, hours, room, maintenance, maintHours));
    question("support.md#contact", "What email address reaches the support team?", email);
    question("support.md#office-hours", "When and where can I meet the team in person?",
        "Every " + weekday + " from " + hours + " in " + room + ".");
    question("support.md#maintenance", "On which day each month is the cluster offline?",
        "The " + maintenance + " of every month, from " + maintHours + ".");

    docs.put("policies.md", """
        # Policies

        Using %1$s means accepting these rules. Repeated violations suspend the account.

        ## Login node use

        Login nodes are shared by everyone. A process there may use at most %2$d minutes of CPU \
        time and %3$d GB of memory before it is stopped; run anything heavier as a job.

        ## Account expiry

        Accounts that nobody has logged in to for %4$d days are closed. Files of a closed account \
        are removed %5$d days later, so copy what you need first.

        ## Acknowledgement

        Papers that used the cluster should thank the research computing team and cite the \
        award %6$s that funded the hardware.
        """.formatted(cluster, loginCpuMinutes, loginMemGb, inactiveDays, removalDays, award));
    question("policies.md#login-node-use",
        "How much CPU time may a program use on the login node?",
        loginCpuMinutes + " minutes.");
    question("policies.md#account-expiry", "When is an unused account shut down?",
        "After " + inactiveDays + " days without a login.");
    question("policies.md#acknowledgement", "Which grant should my paper cite?", award);
  }
}
