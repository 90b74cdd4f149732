import io.jenkins.plugins.mlstages.data.SchemaLoader;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * CPU seconds of validateData in one warmed JVM, round after round (the JIT compiles in the first
 * rounds; later rounds are the steady figure), so that a shared, loaded machine moves the figures less
 * than wall time: java -cp cli/target/mlstages.jar bench/WarmValidate.java DATA REFERENCE SCHEMA [ROUNDS]
 */
public class WarmValidate {
    public static void main(String[] args) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        var request = new ValidateDataRequest(Path.of(args[0]), null, null, SchemaLoader.load(Path.of(args[2])),
                Path.of(args[1]), null, 5, ValidateDataRequest.DEFAULT_SAMPLE_SIZE, 42, null);
        for (int round = 1; round <= rounds; round++) {
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            var result = new ValidateData(StageLog.NONE).run(request);
            System.out.printf("round %d: %.2f s CPU, %.2f s wall, %s, load %.1f%n", round,
                    (os.getProcessCpuTime() - cpu) / 1e9, (System.nanoTime() - wall) / 1e9, result.status(),
                    os.getSystemLoadAverage());
        }
    }
}
