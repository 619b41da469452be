package dev.stepguard.composition;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Traps a signal for either entry point through {@code sun.misc.Signal}, the JDK's supported (if
 * unofficial) way to handle one, looked up by name so that the build needs no internal API under
 * {@code -Werror}.
 */
public final class SignalTrap {
  private SignalTrap() {}

  /**
   * Runs {@code handler} (on the JDK's signal thread) whenever the signal named like {@code INT}
   * arrives, instead of what it would do.
   *
   * @throws IllegalStateException if this JDK or platform does not let the signal be trapped
   */
  public static void trap(String name, Runnable handler) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object proxy =
          Proxy.newProxyInstance(
              handlerType.getClassLoader(),
              new Class<?>[] {handlerType},
              (self, method, args) -> answer(self, method, args, name, handler));
      Object signal = signalType.getConstructor(String.class).newInstance(name);
      signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, proxy);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("SIG" + name + " cannot be trapped: " + e, e);
    }
  }

  private static Object answer(
      Object self, Method method, Object[] args, String name, Runnable handler) {
    switch (method.getName()) {
      case "handle":
        handler.run();
        return null;
      case "equals":
        return self == args[0];
      case "hashCode":
        return System.identityHashCode(self);
      default:
        return "stepguard SIG" + name + " handler";
    }
  }
}
