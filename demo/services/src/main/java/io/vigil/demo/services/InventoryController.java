package io.vigil.demo.services;

import io.vigil.demo.services.fault.FaultInjector;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Stock levels: reservations take from them, and they refill when they run low. */
@RestController
@ConditionalOnProperty(prefix = "vigil.demo", name = "role", havingValue = "inventory")
public class InventoryController {

  private static final Logger log = LoggerFactory.getLogger(InventoryController.class);
  private static final int REFILL_TO = 1000;

  private final JdbcTemplate db;
  private final FaultInjector faults;

  public InventoryController(JdbcTemplate db, FaultInjector faults) {
    this.db = db;
    this.faults = faults;
  }

  @GetMapping("/api/stock")
  public List<Map<String, Object>> stock() {
    return db.queryForList(
        "SELECT item, qty, unit_price FROM stock WHERE SLEEP_MS(?) = 0 ORDER BY item",
        faults.queryDelayMillis());
  }

  @PostMapping("/api/reserve")
  public Map<String, Object> reserve(@RequestBody Map<String, Object> request) {
    String item = String.valueOf(request.get("item"));
    int qty = ((Number) request.getOrDefault("qty", 1)).intValue();
    List<Map<String, Object>> rows = db.queryForList(
        "SELECT qty, unit_price FROM stock WHERE item = ? AND SLEEP_MS(?) = 0",
        item, faults.queryDelayMillis());
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("unknown item " + item);
    }
    int left = ((Number) rows.get(0).get("QTY")).intValue();
    if (left < qty) {
      log.warn("Stock of {} low ({} left), refilling to {}", item, left, REFILL_TO);
      db.update("UPDATE stock SET qty = ? WHERE item = ?", REFILL_TO, item);
    }
    db.update("UPDATE stock SET qty = qty - ? WHERE item = ?", qty, item);
    log.info("Reserved {} x {}", qty, item);
    return Map.of("item", item, "qty", qty, "unit_price", rows.get(0).get("UNIT_PRICE"));
  }
}
