package io.vigil.demo.services;

import java.util.Optional;

/**
 * Exits this service when the demo launcher that started it is gone, even if the launcher was
 * killed without running its shutdown hooks: a demo must leave no process behind.
 */
final class ParentWatch {

  static final String PARENT_PID = "vigil.demo.parent-pid";

  private ParentWatch() {}

  static void exitWhenParentExits() {
    String pid = System.getProperty(PARENT_PID);
    if (pid == null || pid.isBlank()) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
    if (parent.isEmpty()) {
      System.exit(3);
    }
    parent.get().onExit().thenRun(() -> {
      System.err.println("demo launcher " + pid + " exited; stopping");
      System.exit(0);
    });
  }
}
