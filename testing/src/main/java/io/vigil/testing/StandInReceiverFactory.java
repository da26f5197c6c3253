package io.vigil.testing;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import java.util.Set;

/** A receiver type ({@code stand_in}) for config tests, which load configs but build nothing. */
public final class StandInReceiverFactory implements ReceiverFactory<StandInReceiverFactory.Config> {

  /** No keys. */
  public static final class Config {}

  @Override
  public String type() {
    return "stand_in";
  }

  @Override
  public Config createDefaultConfig() {
    return new Config();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Receiver create(ComponentSettings s, Config c, SignalConsumers consumers) {
    throw new UnsupportedOperationException("config tests never build components");
  }
}
