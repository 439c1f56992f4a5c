/*
 * Carto.net test/dev Neo4j launcher.
 *
 * Starts an embedded Neo4j Community DBMS (jars fetched by pom.xml next to this file) with the
 * Bolt connector bound to 127.0.0.1:PORT, prints exactly one line
 *
 *     NEO4J_READY bolt://127.0.0.1:PORT
 *
 * on stdout once Bolt accepts TCP connections, then runs until the JVM is asked to stop
 * (SIGTERM / SIGINT), at which point a shutdown hook shuts the DBMS down cleanly (checkpoint,
 * store lock released) and prints "NEO4J_STOPPED".
 *
 * Usage (normally driven by tools/neo4j_server.py, which compiles this file into the jar cache
 * and adds the JVM flags, see jvm_flags() there):
 *     java [flags] -cp 'launcher.jar:LIB/*' Launcher HOME_DIR PORT
 *
 * Environment:
 *     NEO4J_PASSWORD           if set (min. 8 chars), auth is enabled and user "neo4j" gets this
 *                              password; if unset, auth is disabled (driver: auth=None)
 *     NEO4J_PAGECACHE          page cache size in Neo4j syntax, default "128m"
 *     NEO4J_EXIT_ON_STDIN_EOF  "1": shut down when stdin reaches EOF, i.e. when the parent process
 *                              that holds the other end of the pipe dies (no orphaned JVMs)
 */

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public final class Launcher {
    private static final String HOST = "127.0.0.1";
    private static final long BOLT_WAIT_MILLIS = 60_000;

    private Launcher() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // Neo4j may have started non-daemon threads: exit explicitly so a failed start never hangs.
            System.err.println("NEO4J_FAILED " + t);
            t.printStackTrace();
            System.err.flush();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher HOME_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = emptyToNull(System.getenv("NEO4J_PASSWORD"));
        String pageCache = System.getenv().getOrDefault("NEO4J_PAGECACHE", "128m");
        Files.createDirectories(home);

        SocketAddress bolt = new SocketAddress(HOST, port);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "keep_none")
                // ByteUnit.parse understands Neo4j's size syntax: "128m", "1g", "512MiB", ...
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                // Internal setting (default 5 s per Netty event-loop group, two groups): without it a
                // clean shutdown idles ~10 s after the databases have already stopped.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);

        DatabaseManagementService dbms = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
                System.out.println("NEO4J_STOPPED");
                System.out.flush();
            } finally {
                stopped.countDown();
            }
        }, "cartonet-neo4j-shutdown"));

        if (password != null) {
            setInitialPassword(dbms, password);
        }
        // Touch the default database so it is fully online before we announce readiness.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        awaitBolt(port);

        if ("1".equals(System.getenv("NEO4J_EXIT_ON_STDIN_EOF"))) {
            Thread watchdog = new Thread(Launcher::exitOnStdinEof, "cartonet-stdin-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        System.out.println("NEO4J_READY bolt://" + HOST + ":" + port);
        System.out.flush();
        // Block until the shutdown hook has run; the JVM then exits via the signal's default path.
        while (!stopped.await(1, TimeUnit.HOURS)) {
            // keep waiting
        }
    }

    /** Gives user "neo4j" the requested password without the "change required" flag. */
    private static void setInitialPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Restart of an existing home: Neo4j refuses to "change" to the same password.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains("new password cannot be the same")) {
                    System.out.println("password of user neo4j already set");
                    return;
                }
            }
            throw e;
        }
    }

    /** Waits until a plain TCP connect to the Bolt port succeeds. */
    private static void awaitBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOLT_WAIT_MILLIS);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt connector is not accepting connections on "
                            + HOST + ":" + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void exitOnStdinEof() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // discard input; only EOF matters
            }
        } catch (IOException ignored) {
            // treat a broken stdin like EOF
        }
        System.err.println("stdin closed (parent gone): shutting down");
        System.exit(0);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
