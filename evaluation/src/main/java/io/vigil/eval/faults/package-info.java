/**
 * Incidents against injected faults: did each fault of a demo run become one incident on the
 * right service, how much noise became incidents, and how many raw anomalies and alerts the
 * incidents stand for. Labels are the run's {@code faults.jsonl}.
 */
package io.vigil.eval.faults;
