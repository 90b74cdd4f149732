import io.jenkins.plugins.mlstages.data.SchemaLoader;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds of validateData in one warmed JVM, round after round (the JIT compiles in the first
 * rounds; later rounds are the steady figure), so that a shared, loaded machine moves the figures less
 * than wall time; each round also splits the process's CPU into the reading thread (main), the JIT
 * compilers, the garbage collector and the rest (the column workers):
 * java -cp cli/target/mlstages.jar bench/WarmValidate.java DATA REFERENCE SCHEMA [ROUNDS]
 */
public class WarmValidate {
    public static void main(String[] args) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        var request = new ValidateDataRequest(Path.of(args[0]), null, null, SchemaLoader.load(Path.of(args[2])),
                Path.of(args[1]), null, 5, ValidateDataRequest.DEFAULT_SAMPLE_SIZE, 42, null);
        for (int round = 1; round <= rounds; round++) {
            long cpu = os.getProcessCpuTime();
            long main = threads.getCurrentThreadCpuTime();
            Map<String, Double> service = serviceThreads();
            long wall = System.nanoTime();
            var result = new ValidateData(StageLog.NONE).run(request);
            double total = (os.getProcessCpuTime() - cpu) / 1e9;
            double reader = (threads.getCurrentThreadCpuTime() - main) / 1e9;
            Map<String, Double> after = serviceThreads();
            double jit = after.get("jit") - service.get("jit");
            double gc = after.get("gc") - service.get("gc");
            System.out.printf("round %d: %.2f s CPU (reader %.2f, workers %.2f, JIT %.2f, GC %.2f), %.2f s wall, %s, load %.1f%n",
                    round, total, reader, total - reader - jit - gc, jit, gc, (System.nanoTime() - wall) / 1e9,
                    result.status(), os.getSystemLoadAverage());
        }
    }

    /** CPU seconds so far of the JIT compiler threads and of the garbage collector's, from /proc. */
    private static Map<String, Double> serviceThreads() throws Exception {
        Map<String, Double> totals = new TreeMap<>(Map.of("jit", 0.0, "gc", 0.0));
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat = Files.readString(task.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
                String kind = name.contains("Compiler") ? "jit" : name.startsWith("GC ") || name.startsWith("G1 ") ? "gc" : null;
                if (kind != null) {
                    totals.merge(kind, seconds, Double::sum);
                }
            }
        }
        return totals;
    }
}
