package io.vigil.exporter.incidents;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.exporter.incidents.internal.Plugins;
import java.time.Clock;

/** The exporter as the response and chat tests run it: no classifier, no recommender. */
final class PluginlessExporters {

  private PluginlessExporters() {}

  /** A new exporter named {@code incidents} (not started). */
  static IncidentsExporter of(IncidentsExporterConfig config, Clock clock) {
    return new IncidentsExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("incidents"), new GatewayTelemetry()), config,
        Plugins.named(CauseClassifier.class, "none", CauseClassifier::name, "classifier"),
        Plugins.named(Recommender.class, "none", Recommender::name, "recommender"), clock);
  }
}
