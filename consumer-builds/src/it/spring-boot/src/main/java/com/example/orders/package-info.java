/**
 * A user's Spring Boot application in a consumer build: an {@code @KafkaListener} that stores
 * each order it reads and publishes that it did, tested with fixtures-spring as the README
 * tells a user to.
 */
package com.example.orders;
