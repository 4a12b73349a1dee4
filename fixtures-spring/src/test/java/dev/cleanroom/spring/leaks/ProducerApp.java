package dev.cleanroom.spring.leaks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with only Boot's KafkaTemplate: a context of its own, so its producer is made inside the run under test. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class ProducerApp {}
