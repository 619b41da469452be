package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adversarial cases against {@code sandbox} isolation: every case the process launcher passes,
 * and those numbered 26-28 with the sandbox's own promises (no network, nothing of the host outside
 * the project, no writes outside its private {@code /tmp}; docs/security.md, "What sandbox
 * isolation adds"). Skipped, with the reason, where bubblewrap cannot run.
 */
class SandboxAdversarialCasesTest extends AdversarialCases {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));
  private static final ProcessLauncher LAUNCHER =
      new SandboxProcessLauncher(
          Pythons.onPath(System.getenv("PATH")),
          BUBBLEWRAP,
          new ProcessSettings(Path.of("/"), "python3", List.of()));

  @BeforeAll
  static void needsBubblewrap() {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
  }

  @Override
  ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  ProcessLauncher launcher(PythonLocator python) {
    return new SandboxProcessLauncher(
        python, BUBBLEWRAP, new ProcessSettings(Path.of("/"), "python3", List.of()));
  }

  private JsonNode output(String script, String source) {
    project.script(script, source);
    ExecutionRecord record = run(script);
    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.isolation()).isEqualTo(Isolation.SANDBOX);
    return record.output();
  }

  // 26
  @Test
  void cannotConnectToAnyAddress() throws Exception {
    try (ServerSocket host = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JsonNode out =
          output(
              "net.py",
              "import json, socket\n"
                  + "try:\n"
                  + "    socket.create_connection(('127.0.0.1', "
                  + host.getLocalPort()
                  + "), timeout=2)\n"
                  + "    host = 'connected'\n"
                  + "except OSError as error:\n"
                  + "    host = type(error).__name__\n"
                  + "own = socket.socket()\n"
                  + "own.bind(('127.0.0.1', 0))\n"
                  + "own.listen()\n"
                  + "socket.create_connection(own.getsockname(), timeout=2).close()\n"
                  + "names = [name for _, name in socket.if_nameindex()]\n"
                  + "print(json.dumps({'host': host, 'interfaces': names}))\n");

      assertThat(out.get("host").asText())
          .as("the host's loopback listener is out of reach")
          .isNotEqualTo("connected");
      assertThat(out.get("interfaces").toString())
          .as("the sandbox's own loopback is up, and the only interface")
          .isEqualTo("[\"lo\"]");
    }
  }

  // 27
  @Test
  void cannotSeeShadowTheHistoryOrFilesOutsideTheProject() throws Exception {
    project.file(temp.resolve("secret.txt"), "outside");
    project.script(".stepguard/history.mv.db", "audit records");
    String outside = temp.resolve("secret.txt").toString();
    String history = project.root().resolve(".stepguard/history.mv.db").toString();

    JsonNode out =
        output(
            "look.py",
            "import json, os\n"
                + "def visible(path):\n"
                + "    try:\n"
                + "        open(path).read()\n"
                + "        return True\n"
                + "    except OSError:\n"
                + "        return False\n"
                + "print(json.dumps({'shadow': visible('/etc/shadow'),"
                + " 'history': visible("
                + pythonString(history)
                + "), 'outside': visible("
                + pythonString(outside)
                + ")}))\n");

    assertThat(out.get("shadow").asBoolean()).isFalse();
    assertThat(out.get("history").asBoolean()).isFalse();
    assertThat(out.get("outside").asBoolean()).isFalse();
  }

  // 28
  @Test
  void cannotWriteOutsideItsPrivateTmp() {
    JsonNode out =
        output(
            "write.py",
            "import json, os\n"
                + "def writable(path):\n"
                + "    try:\n"
                + "        open(path, 'w').write('x')\n"
                + "        return True\n"
                + "    except OSError:\n"
                + "        return False\n"
                + "print(json.dumps({'project': writable('planted.py'),"
                + " 'usr': writable('/usr/planted'), 'tmp': writable('/tmp/scratch')}))\n");

    assertThat(out.get("project").asBoolean()).isFalse();
    assertThat(out.get("usr").asBoolean()).isFalse();
    assertThat(out.get("tmp").asBoolean()).isTrue();
    assertThat(project.root().resolve("planted.py")).doesNotExist();
  }

  // 40
  @Test
  void unshareOfAUserNamespaceFails() {
    JsonNode out =
        output(
            "userns.py",
            "import ctypes, errno, json, os, subprocess\n"
                + "libc = ctypes.CDLL(None, use_errno=True)\n"
                + "def call(*args):\n"
                + "    result = libc.syscall(*args)\n"
                + "    return errno.errorcode.get(ctypes.get_errno(), 'none') if result < 0 else 'ok'\n"
                + "clone = {'x86_64': 56, 'aarch64': 220}[os.uname().machine]\n"
                + "NEWUSER = 0x10000000\n"
                + "unshare = libc.unshare(NEWUSER)\n"
                + "unshare_errno = errno.errorcode.get(ctypes.get_errno())\n"
                + "tool = subprocess.run(['unshare', '-U', 'true'], capture_output=True)\n"
                + "print(json.dumps({'unshare': unshare, 'errno': unshare_errno,"
                + " 'withMount': call({'x86_64': 272, 'aarch64': 97}[os.uname().machine],"
                + " NEWUSER | 0x00020000),"
                + " 'clone': call(clone, NEWUSER | 17, 0, 0, 0, 0), 'clone3': call(435, 0, 0),"
                + " 'tool': tool.returncode, 'toolError': tool.stderr.decode()}))\n");

    assertThat(out.get("unshare").asInt()).isEqualTo(-1);
    assertThat(out.get("errno").asText()).isEqualTo("EPERM");
    assertThat(out.get("withMount").asText()).isEqualTo("EPERM");
    assertThat(out.get("clone").asText()).isEqualTo("EPERM");
    assertThat(out.get("clone3").asText()).isEqualTo("ENOSYS");
    assertThat(out.get("tool").asInt()).isNotZero();
    assertThat(out.get("toolError").asText()).contains("Operation not permitted");
  }

  @Test
  void aSystemCallThroughTheX32AbiEndsTheScript() {
    assumeTrue("amd64".equals(System.getProperty("os.arch")), "the x32 ABI exists only on x86_64");
    project.script(
        "x32.py",
        "import ctypes\n"
            + "libc = ctypes.CDLL(None)\n"
            + "libc.syscall(0x40000000 | 272, 0x10000000)\n"
            + "print('{}')\n");

    ExecutionRecord record = run("x32.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.CRASHED);
    assertThat(record.signal()).isEqualTo("SIGSYS");
  }

  @Test
  void forksThreadsSubprocessesAndMultiprocessingStillWork() {
    JsonNode out =
        output(
            "workers.py",
            "import json, multiprocessing, os, subprocess, threading\n"
                + "pid = os.fork()\n"
                + "if pid == 0:\n"
                + "    os._exit(7)\n"
                + "forked = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])\n"
                + "true = subprocess.run(['true']).returncode\n"
                + "seen = []\n"
                + "thread = threading.Thread(target=seen.append, args=('thread',))\n"
                + "thread.start()\n"
                + "thread.join()\n"
                + "with multiprocessing.get_context('fork').Pool(2) as pool:\n"
                + "    squares = pool.map(abs, [-1, -2, -3])\n"
                + "print(json.dumps({'fork': forked, 'true': true, 'thread': seen,"
                + " 'pool': squares}))\n");

    assertThat(out.get("fork").asInt()).isEqualTo(7);
    assertThat(out.get("true").asInt()).isZero();
    assertThat(out.get("thread").toString()).isEqualTo("[\"thread\"]");
    assertThat(out.get("pool").toString()).isEqualTo("[1,2,3]");
  }

  // 41
  @Test
  void readsTheCertificatesAndTheLocalTime() {
    JsonNode out =
        output(
            "etc.py",
            "import json, os\n"
                + "certs = len(os.listdir('/etc/ssl/certs'))\n"
                + "zone = open('/etc/localtime', 'rb').read(4).decode()\n"
                + "print(json.dumps({'certs': certs, 'zone': zone}))\n");

    assertThat(out.get("certs").asInt()).isPositive();
    assertThat(out.get("zone").asText()).isEqualTo("TZif");
  }

  // 42
  @Test
  void refusesAPrivateProjectBeforeLaunchWhenRoot() throws Exception {
    assumeTrue(
        Users.runningAsRoot(),
        "only root's sandbox runs scripts as nobody; an ordinary user's keep the user's identity");
    project.script("a.py", "print('{}')\n");
    Files.setPosixFilePermissions(project.root(), PosixFilePermissions.fromString("rwx------"));

    ExecutionRecord record = run("a.py");

    assertThat(record.status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(record.process()).isNull();
    assertThat(record.error().message())
        .contains(
            "runs as nobody (uid 65534), which cannot read " + project.root() + " (mode 0700",
            "chmod o+rx " + project.root(),
            "--isolation process");
  }

  @Test
  void runsAPrivateProjectAsAnOrdinaryUser() throws Exception {
    assumeFalse(Users.runningAsRoot(), "as root the script runs as nobody, who cannot read it");
    Files.setPosixFilePermissions(project.root(), PosixFilePermissions.fromString("rwx------"));

    JsonNode out = output("private.py", "import json\nprint(json.dumps({'ok': True}))\n");

    assertThat(out.get("ok").asBoolean()).isTrue();
  }

  @Test
  void runsAProjectOthersCanReadWithItsHomeSharedMemoryAndStandardLibrary() {
    project.script("data/rows.txt", "3\n4\n");

    JsonNode out =
        output(
            "read.py",
            "import decimal, json, os, sqlite3\n"
                + "rows = [int(line) for line in open('data/rows.txt')]\n"
                + "open(os.path.join(os.environ['HOME'], 'scratch'), 'w').write('x')\n"
                + "open('/dev/shm/scratch', 'w').write('x')\n"
                + "total = decimal.Decimal(sum(rows)) / 2\n"
                + "print(json.dumps({'total': str(total), 'sqlite': sqlite3.sqlite_version}))\n");

    assertThat(out.get("total").asText()).isEqualTo("3.5");
    assertThat(out.get("sqlite").asText()).isNotEmpty();
  }

  /** Runs {@code script} in a sandbox that may write to {@code writable}. */
  private ExecutionRecord runWithWritable(String script, String writable) {
    ProcessLauncher launcher =
        launcher(new ProcessSettings(project.root(), "python3", List.of(writable)));
    return run(launcher, script, "{}", LONG, Limits.defaults(20_000));
  }

  /** The launcher under test, with these settings. */
  ProcessLauncher launcher(ProcessSettings settings) {
    return new SandboxProcessLauncher(Pythons.onPath(System.getenv("PATH")), BUBBLEWRAP, settings);
  }

  @Test
  void writesOnlyWhereTheConfigurationAllows() throws Exception {
    Path out = Files.createDirectories(project.root().resolve("out"));
    Files.setPosixFilePermissions(
        out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    project.script(
        "report.py",
        "import json\nopen('out/report.txt', 'w').write('done')\n"
            + "try:\n    open('elsewhere.txt', 'w')\n    other = True\n"
            + "except OSError:\n    other = False\n"
            + "print(json.dumps({'other': other}))\n");
    ExecutionRecord record = runWithWritable("report.py", "out");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(out.resolve("report.txt")).hasContent("done");
    assertThat(record.output().get("other").asBoolean()).isFalse();
  }

  @Test
  void refusesAWritableDirectoryOutsideTheProject() {
    project.script("a.py", "print('{}')\n");

    ExecutionRecord record = runWithWritable("a.py", "../");

    assertThat(record.status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(record.error().message()).contains("writable directory '../'");
  }

  @Test
  void runsAsAnUnprivilegedUserAndSeesOnlyItsOwnProcesses() {
    JsonNode out =
        output(
            "who.py",
            "import json, os\n"
                + "pids = [p for p in os.listdir('/proc') if p.isdigit()]\n"
                + "print(json.dumps({'uid': os.getuid(), 'pids': len(pids)}))\n");

    assertThat(out.get("uid").asInt()).isNotZero();
    assertThat(out.get("pids").asInt()).isLessThanOrEqualTo(3);
  }

  @Test
  void cannotStartMoreProcessesThanTheCap() {
    Limits defaults = Limits.defaults(20_000);
    Limits capped =
        new Limits(
            defaults.cpuTimeMs(),
            defaults.memoryBytes(),
            defaults.fileSizeBytes(),
            defaults.openFiles(),
            8,
            defaults.stdoutBytes(),
            defaults.stderrTailBytes(),
            defaults.inputBytes(),
            defaults.jsonDepth(),
            defaults.tmpBytes());
    project.script(
        "forks.py",
        "import json, os, time\n"
            + "started = 0\n"
            + "try:\n"
            + "    for _ in range(50):\n"
            + "        if os.fork() == 0:\n"
            + "            time.sleep(5)\n"
            + "            os._exit(0)\n"
            + "        started += 1\n"
            + "except OSError:\n"
            + "    pass\n"
            + "print(json.dumps({'started': started}))\n");

    ExecutionRecord record = run("forks.py", "{}", LONG, capped);

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("started").asInt()).isLessThan(8);
    assertNothingLeft(record);
  }

  @Test
  void keepsTheHostsEnvironmentOutOfReach() throws Exception {
    JsonNode out =
        output(
            "environ.py",
            "import json, os\n"
                + "found = []\n"
                + "for pid in os.listdir('/proc'):\n"
                + "    if pid.isdigit():\n"
                + "        try:\n"
                + "            found.append(open('/proc/%s/environ' % pid, 'rb').read().decode())\n"
                + "        except OSError:\n"
                + "            pass\n"
                + "print(json.dumps({'environ': found}))\n");

    assertThat(Files.exists(project.root())).isTrue();
    assertThat(out.get("environ").toString()).doesNotContain("JAVA_HOME", "MAVEN", "SSL_CERT");
  }
}
