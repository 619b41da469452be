package dev.stepguard.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * {@link BareStackHello} started as the launcher starts the command line: its JVM flags and a class
 * data archive (or, on JDK 25 and later, an AOT cache) trained by one run; either takes classes
 * from jar files only, so the class goes into a jar of its own first.
 */
final class BareStack {
  private BareStack() {}

  /** The command, in {@code project} (which holds hello.py), its files kept in {@code scratch}. */
  static Command prepare(Path scratch, Path project, String python)
      throws IOException, InterruptedException {
    Path jar = scratch.resolve("bare-stack.jar");
    String entry = BareStackHello.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        InputStream in = BareStackHello.class.getResourceAsStream("/" + entry)) {
      if (in == null) {
        throw new IllegalStateException(entry + " is missing from the benchmarks");
      }
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    // As the launcher does: a JDK with an AOT cache (25 and later) keeps the classes in one,
    // loaded and linked; an older one in a dynamic archive.
    boolean aot = Runtime.version().feature() >= 25;
    Path archive = scratch.resolve(aot ? "bare-stack.aot" : "bare-stack.jsa");
    String classPath = jar + File.pathSeparator + Floors.location(driver());
    String record = aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=";
    command(project, python, classPath, List.of(record + archive)).run();
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the bare stack's class data archive was not written");
    }
    String use = aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
    return command(
        project,
        python,
        classPath,
        aot ? List.of("-Xlog:aot=off", use + archive) : List.of(use + archive));
  }

  private static Command command(
      Path project, String python, String classPath, List<String> archive) {
    List<String> jvm = new ArrayList<>(List.of(Floors.java()));
    jvm.addAll(Floors.JVM_FLAGS);
    jvm.addAll(archive);
    jvm.addAll(
        List.of(
            "-cp",
            classPath,
            BareStackHello.class.getName(),
            project.resolve(".bare-stack-history").toString(),
            python));
    return new Command(jvm, project, Map.of(), new byte[0]);
  }

  private static Class<?> driver() {
    try {
      return Class.forName("org.h2.Driver");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("H2 is not on the benchmarks' class path", e);
    }
  }
}
