package org.tuninglab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleTimeoutInputStreamTest {

  @Test
  void aStreamThatKeepsDeliveringIsReadWhole() throws IOException {
    byte[] data = new byte[10_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    try (InputStream in =
        new IdleTimeoutInputStream(new ByteArrayInputStream(data), Duration.ofMillis(50), "x")) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void aConnectionThatGoesSilentFailsWithATimeoutNamingTheSource() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      peer.getOutputStream().write(new byte[] {1, 2}); // then nothing, connection left open
      peer.getOutputStream().flush();
      try (InputStream in =
          new IdleTimeoutInputStream(
              client.getInputStream(), Duration.ofMillis(100), "http://example/x")) {
        assertEquals(1, in.read());
        assertEquals(2, in.read());
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, in::read);
        assertTrue(
            e.getMessage().contains("no data from http://example/x for 100 ms"), e.getMessage());
        assertThrows(SocketTimeoutException.class, in::read, "stays failed");
      }
    }
  }

  @Test
  void aNonPositiveLimitIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new IdleTimeoutInputStream(InputStream.nullInputStream(), Duration.ZERO, "x"));
  }
}
