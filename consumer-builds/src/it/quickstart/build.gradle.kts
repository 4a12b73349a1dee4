// The quick start as a Gradle (Kotlin DSL) build: the same dependencies as pom.xml. CI builds the
// Maven form only (the consumer builds run Maven); README.md and docs/gradle.md show the part between
// the tag markers, with the versions of the parent pom in place of the @...@ placeholders.
plugins {
    java
}

repositories {
    mavenLocal() // the unreleased artifacts: ./mvnw install -DskipTests in a clone of Cleanroom
    mavenCentral()
}

java {
    toolchain { languageVersion = JavaLanguageVersion.of(17) }
}

// tag::dependencies[]
dependencies {
    testImplementation(platform("dev.cleanroom:cleanroom-bom:@project.version@"))
    testImplementation("dev.cleanroom:fixtures-kafka")
    testImplementation("dev.cleanroom:fixtures-postgres")
    testImplementation(platform("org.junit:junit-bom:@junit5.version@"))
    testImplementation("org.junit.jupiter:junit-jupiter")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
    testImplementation("org.assertj:assertj-core:@assertj.version@")
}

tasks.test {
    useJUnitPlatform()
    testLogging {
        showStandardStreams = true // Gradle hides test output by default, Cleanroom's run summary included
    }
}
// end::dependencies[]
