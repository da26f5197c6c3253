package io.vigil.processor.logtemplate;

import io.vigil.pdata.Attributes;

import io.vigil.analysis.logtemplate.TemplateMiner;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Gives every log record whose body is a string the ID and text of its template, mined online
 * from the stream. Templates are saved to {@code state_file} so their IDs survive restarts.
 */
final class LogTemplateProcessor implements Processor<ExportLogsServiceRequest> {

  private final LogTemplateConfig config;
  private final Consumer<ExportLogsServiceRequest> next;
  private final Logger log;
  private final String name;
  private final TemplateMiner miner;
  private final TemplateStore store;
  private final LogAnomalyDetector detector;
  private ScheduledExecutorService saver;
  private boolean dirty;

  LogTemplateProcessor(String name, LogTemplateConfig config, LogAnomalyDetector detector,
      Consumer<ExportLogsServiceRequest> next, Logger log) {
    this.name = name;
    this.config = config;
    this.next = next;
    this.log = log;
    this.detector = detector;
    this.miner = config.newMiner();
    this.store = config.stateFile.isEmpty() ? null : new TemplateStore(Path.of(config.stateFile));
  }

  @Override
  public void start() {
    if (store == null) {
      return;
    }
    try {
      int n;
      synchronized (miner) {
        n = store.restore(miner);
      }
      log.info("logtemplate {}: restored {} templates from {}", name, n, store.file());
    } catch (IOException e) {
      // A damaged state file must not stop the logs: keep it for inspection and start afresh.
      Path aside = store.file().resolveSibling(store.file().getFileName() + ".unreadable");
      log.error("logtemplate {}: cannot restore templates ({}); moved the file to {} and starting"
          + " with no templates, so template IDs will change", name, e.getMessage(), aside);
      try {
        Files.move(store.file(), aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moveFailed) {
        log.error("logtemplate {}: cannot move {} aside: {}", name, store.file(),
            moveFailed.getMessage());
      }
    }
    saver = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-logtemplate-save-" + name);
      t.setDaemon(true);
      return t;
    });
    long every = config.saveInterval.toNanos();
    saver.scheduleWithFixedDelay(this::saveIfChanged, every, every, TimeUnit.NANOSECONDS);
  }

  /** Whether {@code anomalies::ignore_scopes} keeps this scope's records from the detectors. */
  private boolean ignored(String scope) {
    for (String s : config.anomalies.ignoreScopes) {
      if (scope.equals(s) || (scope.startsWith(s) && scope.charAt(s.length()) == '.')) {
        return true;
      }
    }
    return false;
  }

  @Override
  public CompletableFuture<Void> consume(ExportLogsServiceRequest batch) {
    ExportLogsServiceRequest.Builder out = batch.toBuilder();
    synchronized (miner) {
      for (ResourceLogs.Builder rl : out.getResourceLogsBuilderList()) {
        String service = serviceName(rl);
        for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
          boolean observed = detector != null && !ignored(sl.getScope().getName());
          for (LogRecord.Builder record : sl.getLogRecordsBuilderList()) {
            if (record.getBody().getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
              continue;
            }
            TemplateMiner.Match m = miner.add(record.getBody().getStringValue());
            dirty |= m.change() != TemplateMiner.Change.NONE;
            record.addAttributes(Attributes.string(config.idAttribute, m.template().idHex()));
            record.addAttributes(Attributes.string(config.templateAttribute, m.template().text()));
            if (observed) {
              detector.observe(service, m, record);
            }
          }
        }
      }
      if (detector != null) {
        detector.drainEvents(out);
      }
    }
    return next.consume(out.build());
  }

  private static String serviceName(ResourceLogs.Builder rl) {
    for (KeyValue kv : rl.getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return "unknown_service";
  }

  private void saveIfChanged() {
    synchronized (miner) {
      if (!dirty) {
        return;
      }
      dirty = false;
      try {
        store.save(miner);
      } catch (IOException | RuntimeException e) {
        dirty = true;
        log.error("logtemplate {}: cannot save templates to {}: {}", name, store.file(),
            e.toString());
      }
    }
  }

  TemplateMiner miner() {
    return miner;
  }

  @Override
  public void shutdown(Instant deadline) {
    if (saver != null) {
      saver.shutdownNow();
      dirty = true;
      saveIfChanged();
    }
  }
}
