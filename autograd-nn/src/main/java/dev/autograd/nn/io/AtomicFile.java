package dev.autograd.nn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file atomically: the content goes to a temporary file in the same directory, which is
 * flushed to disk (fsync) and only then renamed over the target; the directory is fsynced after the
 * rename. A crash at any point leaves either the old file or the new one, never a mix.
 *
 * <p>The temporary name is short and fixed-length ({@code .st-<hash of the target
 * name>-<pid>-<random>.tmp}, about 40 characters), so it fits wherever the target's name fits. A
 * crashed save can leave such a file behind; the next save to the same target deletes those whose
 * process is gone, and loads never read them. The target's POSIX permissions (and, where allowed,
 * owner and group) are kept; a symbolic link is followed, so the file it points to is replaced and
 * the link stays.
 */
final class AtomicFile {
  private AtomicFile() {}

  /** Writes the new content into the channel of the temporary file. */
  interface Body {
    void write(FileChannel out) throws IOException;
  }

  static final String PREFIX = ".st-";
  static final String SUFFIX = ".tmp";

  static void replace(Path target, Body body) throws IOException {
    Path dest = target.toAbsolutePath();
    if (Files.isSymbolicLink(
        dest)) { // write through the link; a dangling one gets its file created
      dest =
          Files.exists(dest)
              ? dest.toRealPath()
              : dest.resolveSibling(Files.readSymbolicLink(dest)).normalize();
    }
    Path dir = dest.getParent();
    if (dir == null) throw new SafetensorsException(target + ": cannot save to a file system root");
    if (Files.isDirectory(dest))
      throw new SafetensorsException(target + ": cannot save: it is a directory");
    String stem = stem(dest);
    removeStale(dir, stem);
    Path tmp =
        dir.resolve(
            stem
                + ProcessHandle.current().pid()
                + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
                + SUFFIX);
    boolean moved = false;
    try {
      try (FileChannel out =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        body.write(out);
        out.force(true);
      }
      keepAttributes(dest, tmp);
      try {
        Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) Files.deleteIfExists(tmp);
    }
  }

  /**
   * {@code .st-<8 hex digits of the target name's hash>-}: ties temporary files to their target.
   */
  static String stem(Path dest) {
    Path name = dest.getFileName();
    if (name == null)
      throw new IllegalArgumentException(
          dest + " names no file (it is a root directory); give a file path");
    return PREFIX + String.format("%08x", name.toString().hashCode()) + "-";
  }

  /** Deletes this target's temporary files left by processes that no longer run. */
  private static void removeStale(Path dir, String stem) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, stem + "*" + SUFFIX)) {
      for (Path p : files) {
        Path name = p.getFileName(); // never null for a directory entry; checked for the analyzer
        if (name == null) continue;
        String rest = name.toString().substring(stem.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) continue;
        long pid;
        try {
          pid = Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue;
        }
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty())
          Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a leftover temporary file is harmless, loads never read it
    }
  }

  private static void keepAttributes(Path dest, Path tmp) {
    PosixFileAttributeView from = Files.getFileAttributeView(dest, PosixFileAttributeView.class);
    PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
    if (from == null || to == null || !Files.exists(dest)) return;
    try {
      PosixFileAttributes a = from.readAttributes();
      to.setPermissions(a.permissions());
      try {
        if (!a.group().equals(to.readAttributes().group())) to.setGroup(a.group());
        if (!a.owner().equals(to.getOwner())) to.setOwner(a.owner());
      } catch (IOException | SecurityException e) {
        // only the owner's own rights: keeping permissions is what matters
      }
    } catch (IOException e) {
      // the target vanished or is unreadable: the new file keeps the default permissions
    }
  }

  /** fsync of the directory makes the rename itself durable; not every platform can open one. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory; its rename is durable once the file is flushed
    }
  }
}
