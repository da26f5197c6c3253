/**
 * The {@code alertmanager} receiver: Prometheus Alertmanager's webhook (payload version 4),
 * each alert turned into an anomaly record ({@link io.vigil.pdata.AnomalyRecord}) so the
 * incidents exporter groups it like Vigil's own anomalies.
 */
package io.vigil.receiver.alertmanager;
