package io.vigil.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gathers the problems of one config while checking goes on, then reports them together
 * ({@link ConfigException#of}). A problem under a key whose environment variable could not be
 * expanded is left out: the unexpanded text fails whatever reads it, and that second error
 * would only repeat the first.
 */
public final class ConfigProblems {

  private final List<ConfigException> found = new ArrayList<>();
  private final List<String> unexpanded = new ArrayList<>();

  /** Records a problem. */
  public void add(ConfigException e) {
    for (ConfigException p : e.problems()) {
      if (!followsAnUnexpandedVariable(p.keyPath())) {
        found.add(p);
      }
    }
  }

  /** Records a variable that could not be expanded, and hides what it causes under its key. */
  public void addUnexpanded(ConfigException e) {
    found.add(e);
    unexpanded.add(e.keyPath());
  }

  /** Runs a check; its problem, if any, is recorded and checking goes on. */
  public void check(Runnable check) {
    try {
      check.run();
    } catch (ConfigException e) {
      add(e);
    }
  }

  /** Computes a value; on a problem, records it and returns null. */
  public <T> T attempt(Supplier<T> value) {
    try {
      return value.get();
    } catch (ConfigException e) {
      add(e);
      return null;
    }
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  /** Throws every problem found so far as one {@link ConfigException}; nothing when none. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw ConfigException.of(found);
    }
  }

  private boolean followsAnUnexpandedVariable(String keyPath) {
    for (String u : unexpanded) {
      if (keyPath.equals(u) || keyPath.startsWith(u + "::")) {
        return true;
      }
    }
    return false;
  }
}
