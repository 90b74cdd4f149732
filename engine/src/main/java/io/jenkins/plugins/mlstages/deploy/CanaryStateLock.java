package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One driver per canary: an exclusive lock on {@code <state file>.lock}, held by {@link CanaryRun}
 * from before it reads the state file until its drive returns. Without it an {@code --abort} from
 * another shell could roll back while the driver sleeps, and the driver would wake on its stale state
 * and promote.
 *
 * <p>The lock is on a sibling file because the state file is replaced at every save. The operating
 * system drops it when the process ends, {@code kill -9} included, so a resume after a kill finds it
 * free. The lock file stays: deleting it on release would let two processes lock two different files
 * of the same name. Operating-system locks belong to the whole JVM, and on Linux closing any channel on
 * the file drops the JVM's lock on it: the paths locked in this JVM are therefore also kept in a set
 * and a second attempt is refused before it opens the file.
 */
public final class CanaryStateLock implements AutoCloseable {
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private CanaryStateLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code stateFile} without waiting.
     *
     * @throws DeployException when another process (or another driver in this one) holds it
     * @throws IOException when the lock file cannot be created
     */
    public static CanaryStateLock acquire(Path stateFile) throws IOException {
        Path state = stateFile.toAbsolutePath().normalize();
        Files.createDirectories(state.getParent());
        Path key = state.getParent().toRealPath().resolve(state.getFileName() + ".lock");
        if (!HELD_HERE.add(key)) {
            throw held(state);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it through another path to the same file
            }
            if (lock == null) {
                throw held(state);
            }
            return new CanaryStateLock(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD_HERE.remove(key);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD_HERE.remove(key);
        }
    }

    private static DeployException held(Path state) {
        return new DeployException(state + " is being driven by another process; stop that process, then run --resume or --abort");
    }
}
