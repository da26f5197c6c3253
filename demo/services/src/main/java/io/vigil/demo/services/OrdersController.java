package io.vigil.demo.services;

import io.vigil.demo.services.fault.FaultInjector;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;

/** Places an order: reserves stock in inventory, then charges through payments. */
@RestController
@ConditionalOnProperty(prefix = "vigil.demo", name = "role", havingValue = "orders")
public class OrdersController {

  private static final Logger log = LoggerFactory.getLogger(OrdersController.class);

  private final Downstream downstream;
  private final JdbcTemplate db;
  private final FaultInjector faults;

  public OrdersController(Downstream downstream, JdbcTemplate db, FaultInjector faults) {
    this.downstream = downstream;
    this.db = db;
    this.faults = faults;
  }

  @PostMapping("/api/orders")
  public Map<String, Object> place(@RequestBody Map<String, Object> request) {
    String item = String.valueOf(request.get("item"));
    int qty = ((Number) request.getOrDefault("qty", 1)).intValue();
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    db.update(c -> {
      var ps = c.prepareStatement(
          "INSERT INTO orders(item, qty, status) VALUES (?, ?, 'PENDING')", new String[] {"ID"});
      ps.setString(1, item);
      ps.setInt(2, qty);
      return ps;
    }, key);
    long orderId = key.getKey().longValue();
    try {
      Map<String, Object> reservation = downstream.post("inventory", "/api/reserve")
          .body(Map.of("item", item, "qty", qty))
          .retrieve().body(new ParameterizedTypeReference<Map<String, Object>>() {});
      double amount = ((Number) reservation.get("unit_price")).doubleValue() * qty;
      downstream.post("payments", "/api/charge")
          .body(Map.of("order_id", orderId, "amount", amount))
          .retrieve().toBodilessEntity();
      db.update("UPDATE orders SET status = 'CONFIRMED' WHERE id = ? AND SLEEP_MS(?) = 0",
          orderId, faults.queryDelayMillis());
      log.info("Order {} confirmed: {} x {} for {}", orderId, qty, item, amount);
      return Map.of("order_id", orderId, "status", "CONFIRMED", "amount", amount);
    } catch (RestClientException e) {
      db.update("UPDATE orders SET status = 'FAILED' WHERE id = ?", orderId);
      log.error("Order {} failed: {}", orderId, e.getMessage());
      throw e;
    }
  }
}
