package dev.stepguard.composition;

import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import java.nio.file.Path;

/**
 * Chooses the adapters a project runs with, once its root and settings are known. Production uses
 * {@link #production()}; tests swap in the fakes from core's test fixtures, and a harness may
 * override one port of the production modules.
 *
 * <p>The two methods split what reading the history needs from what running scripts needs: {@link
 * #launcher} is asked only when a command runs scripts (or asks which isolation runs get), so that
 * a history command never builds a launcher or probes for bubblewrap.
 */
public interface RuntimeModuleFactory {

  /**
   * The modules that bind core's ports for a project at {@code projectRoot}, except for the
   * launcher where {@link #launcher} binds it: the history store, the process table, the path
   * policy and the health checks.
   */
  Module create(Path projectRoot, Settings settings);

  /**
   * The module that binds the {@code ProcessLauncher}, built only when scripts are to run; empty
   * where {@link #create} binds the launcher itself (as fakes do).
   */
  default Module launcher(Path projectRoot, Settings settings) {
    return Modules.EMPTY_MODULE;
  }

  /**
   * Starts, on threads of their own, what the first launch in {@code project} (the injector of
   * {@link #create}'s modules) will wait for, before {@link #launcher} is asked; the fakes have
   * nothing to start.
   */
  default void prepareLaunching(Injector project) {}

  /**
   * Starts loading, on threads of their own, what reading the configuration and opening the history
   * will take, for an entry point that is about to open it (nothing is read or opened); the fakes
   * have nothing to load.
   */
  default void warmUp() {}

  /**
   * The real adapters: the filesystem path policy, the launcher of the chosen isolation and the
   * history database (the project's H2 file unless {@code history.url} names another).
   */
  static RuntimeModuleFactory production() {
    return new ProductionModuleFactory();
  }
}
