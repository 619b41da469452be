package dev.stepguard.app.http.planted;

import io.javalin.Javalin;

/**
 * A planted violation: Guice outside main and Javalin outside its package, for the rules to catch.
 */
public final class JavalinOutsideTheHttpPackage {
  private JavalinOutsideTheHttpPackage() {}

  public static Object injector() {
    return com.google.inject.Guice.createInjector();
  }

  public static Class<?> app() {
    return Javalin.class;
  }
}
