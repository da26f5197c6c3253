package io.vigil.demo.services;

import io.vigil.demo.services.fallback.Fallback;
import io.vigil.demo.services.fault.FaultInjector;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;

/**
 * The shop front: browsing asks inventory, checkout asks orders. With the {@link Fallback} on,
 * browsing shows the last stock list inventory gave when inventory cannot be reached.
 */
@RestController
@ConditionalOnProperty(prefix = "vigil.demo", name = "role", havingValue = "storefront")
public class StorefrontController {

  private static final Logger log = LoggerFactory.getLogger(StorefrontController.class);

  private final Downstream downstream;
  private final JdbcTemplate db;
  private final FaultInjector faults;
  private final Fallback fallback;
  private volatile List<Map<String, Object>> lastStock;

  public StorefrontController(Downstream downstream, JdbcTemplate db, FaultInjector faults,
      Fallback fallback) {
    this.downstream = downstream;
    this.db = db;
    this.faults = faults;
    this.fallback = fallback;
  }

  @GetMapping("/api/products")
  public List<Map<String, Object>> products() {
    db.update("INSERT INTO page_views(page, seen_at) VALUES ('products', CURRENT_TIMESTAMP)");
    List<Map<String, Object>> stock;
    try {
      stock = downstream.get("inventory", "/api/stock")
          .retrieve().body(new ParameterizedTypeReference<List<Map<String, Object>>>() {});
      lastStock = stock;
    } catch (RestClientException e) {
      List<Map<String, Object>> last = lastStock;
      if (!fallback.isOn() || last == null) {
        throw e;
      }
      fallback.served();
      log.info("Listed {} products from the last stock list on fallback", last.size());
      return last;
    }
    log.info("Listed {} products", stock == null ? 0 : stock.size());
    return stock;
  }

  @PostMapping("/api/checkout")
  public Map<String, Object> checkout(@RequestParam String item, @RequestParam int qty) {
    if (qty <= 0) {
      throw new IllegalArgumentException("qty must be positive, not " + qty);
    }
    Integer carts = db.queryForObject(
        "SELECT COUNT(*) FROM carts WHERE item = ? AND SLEEP_MS(?) = 0", Integer.class,
        item, faults.queryDelayMillis());
    db.update("INSERT INTO carts(item, qty) VALUES (?, ?)", item, qty);
    Map<String, Object> order = downstream.post("orders", "/api/orders")
        .body(Map.of("item", item, "qty", qty))
        .retrieve().body(new ParameterizedTypeReference<Map<String, Object>>() {});
    log.info("Checkout of {} x {} placed order {} ({} earlier carts)", qty, item,
        order == null ? null : order.get("order_id"), carts);
    return order;
  }
}
