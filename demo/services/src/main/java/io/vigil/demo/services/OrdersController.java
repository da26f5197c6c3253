package io.vigil.demo.services;

import io.vigil.demo.services.fallback.Fallback;
import io.vigil.demo.services.fault.FaultInjector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * Places an order: reserves stock in inventory, then charges through payments. With the
 * {@link Fallback} on, a failed reservation is priced from the last price inventory gave for the
 * item and a failed charge is left to retry: the order is {@code ACCEPTED} (to reconcile)
 * instead of failing.
 */
@RestController
@ConditionalOnProperty(prefix = "vigil.demo", name = "role", havingValue = "orders")
public class OrdersController {

  private static final Logger log = LoggerFactory.getLogger(OrdersController.class);

  private final Downstream downstream;
  private final JdbcTemplate db;
  private final FaultInjector faults;
  private final Fallback fallback;
  private final Map<String, Double> lastUnitPrice = new ConcurrentHashMap<>();

  public OrdersController(Downstream downstream, JdbcTemplate db, FaultInjector faults,
      Fallback fallback) {
    this.downstream = downstream;
    this.db = db;
    this.faults = faults;
    this.fallback = fallback;
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
      Double unitPrice = reserve(item, qty);
      boolean reserved = unitPrice != null;
      if (!reserved) {
        unitPrice = lastUnitPrice.get(item);
      }
      double amount = unitPrice * qty;
      boolean charged = charge(orderId, amount);
      if (reserved && charged) {
        db.update("UPDATE orders SET status = 'CONFIRMED' WHERE id = ? AND SLEEP_MS(?) = 0",
            orderId, faults.queryDelayMillis());
        log.info("Order {} confirmed: {} x {} for {}", orderId, qty, item, amount);
        return Map.of("order_id", orderId, "status", "CONFIRMED", "amount", amount);
      }
      db.update("UPDATE orders SET status = 'ACCEPTED' WHERE id = ?", orderId);
      fallback.served();
      log.info("Order {} accepted on fallback: {} x {} for {}, {} to reconcile", orderId, qty,
          item, amount, reserved ? "charge" : "reservation");
      return Map.of("order_id", orderId, "status", "ACCEPTED", "amount", amount);
    } catch (RestClientException e) {
      db.update("UPDATE orders SET status = 'FAILED' WHERE id = ?", orderId);
      log.error("Order {} failed: {}", orderId, e.getMessage());
      throw e;
    }
  }

  /** The unit price inventory reserved at; null when it failed and the fallback can price it. */
  private Double reserve(String item, int qty) {
    try {
      Map<String, Object> reservation = downstream.post("inventory", "/api/reserve")
          .body(Map.of("item", item, "qty", qty))
          .retrieve().body(new ParameterizedTypeReference<Map<String, Object>>() {});
      double price = ((Number) reservation.get("unit_price")).doubleValue();
      lastUnitPrice.put(item, price);
      return price;
    } catch (RestClientException e) {
      if (fallback.isOn() && lastUnitPrice.containsKey(item)) {
        return null;
      }
      throw e;
    }
  }

  /** True when charged; false when it failed and the fallback leaves it to retry. */
  private boolean charge(long orderId, double amount) {
    try {
      downstream.post("payments", "/api/charge")
          .body(Map.of("order_id", orderId, "amount", amount))
          .retrieve().toBodilessEntity();
      return true;
    } catch (RestClientException e) {
      if (fallback.isOn()) {
        return false;
      }
      throw e;
    }
  }
}
