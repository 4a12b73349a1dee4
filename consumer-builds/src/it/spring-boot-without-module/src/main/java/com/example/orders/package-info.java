/**
 * A user's Spring Boot application in a consumer build whose tests use Cleanroom's fixtures
 * without fixtures-spring, to show the error that names the missing module.
 */
package com.example.orders;
