package io.vigil.demo.services;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Charges orders and keeps a ledger of the charges. */
@RestController
@ConditionalOnProperty(prefix = "vigil.demo", name = "role", havingValue = "payments")
public class PaymentsController {

  private static final Logger log = LoggerFactory.getLogger(PaymentsController.class);

  private final JdbcTemplate db;

  public PaymentsController(JdbcTemplate db) {
    this.db = db;
  }

  @PostMapping("/api/charge")
  public Map<String, Object> charge(@RequestBody Map<String, Object> request) {
    long orderId = ((Number) request.get("order_id")).longValue();
    double amount = ((Number) request.get("amount")).doubleValue();
    db.update("INSERT INTO payments(order_id, amount, charged_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
        orderId, amount);
    log.info("Charged {} for order {}", amount, orderId);
    return Map.of("order_id", orderId, "charged", amount);
  }
}
