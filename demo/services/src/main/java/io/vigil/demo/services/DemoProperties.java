package io.vigil.demo.services;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which service this process is and where its dependencies listen.
 *
 * @param role storefront, orders, inventory or payments
 * @param ordersUrl base URL of the orders service (storefront calls it)
 * @param inventoryUrl base URL of the inventory service (storefront and orders call it)
 * @param paymentsUrl base URL of the payments service (orders calls it)
 */
@ConfigurationProperties("vigil.demo")
public record DemoProperties(String role, String ordersUrl, String inventoryUrl, String paymentsUrl) {}
