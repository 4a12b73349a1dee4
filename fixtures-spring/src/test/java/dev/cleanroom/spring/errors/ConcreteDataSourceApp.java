package dev.cleanroom.spring.errors;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** An application that declares its own DataSource bean as the concrete HikariDataSource. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ConcreteDataSourceApp {

    @Bean
    HikariDataSource appDataSource() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:postgresql://localhost:1/app");
        return dataSource;
    }
}
