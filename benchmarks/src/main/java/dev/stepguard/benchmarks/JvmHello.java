package dev.stepguard.benchmarks;

/**
 * The floor of a JVM command: a class that prints one line, started as the launchers start Java.
 */
public final class JvmHello {
  private JvmHello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
