package dev.stepguard.composition;

import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Traps a signal for either entry point through {@code sun.misc.Signal}, the JDK's supported (if
 * unofficial) way to handle one, looked up by name so that the build needs no internal API under
 * {@code -Werror}. The handler is made as a lambda is ({@link LambdaMetafactory}), not as a dynamic
 * proxy: a proxy costs the command line a generated class in a module of its own at every start.
 */
public final class SignalTrap {
  /** Makes a {@code sun.misc.SignalHandler} of a Runnable; built on first use. */
  private static MethodHandle handlers;

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
      Object signal = signalType.getConstructor(String.class).newInstance(name);
      Object trapped = handler(handlers(signalType, handlerType), handler);
      signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, trapped);
    } catch (ReflectiveOperationException | LambdaConversionException | RuntimeException e) {
      throw new IllegalStateException("SIG" + name + " cannot be trapped: " + e, e);
    }
  }

  private static synchronized MethodHandle handlers(Class<?> signalType, Class<?> handlerType)
      throws ReflectiveOperationException, LambdaConversionException {
    if (handlers == null) {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      handlers =
          LambdaMetafactory.metafactory(
                  lookup,
                  "handle",
                  MethodType.methodType(handlerType, Runnable.class),
                  MethodType.methodType(void.class, signalType),
                  lookup.findStatic(
                      SignalTrap.class,
                      "handle",
                      MethodType.methodType(void.class, Runnable.class, Object.class)),
                  MethodType.methodType(void.class, signalType))
              .getTarget();
    }
    return handlers;
  }

  private static Object handler(MethodHandle handlers, Runnable handler) {
    try {
      return handlers.invoke(handler);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the handler does when its signal arrives. */
  static void handle(Runnable handler, Object signal) {
    handler.run();
  }
}
