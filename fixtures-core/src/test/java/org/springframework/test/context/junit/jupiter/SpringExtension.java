package org.springframework.test.context.junit.jupiter;

import org.junit.jupiter.api.extension.Extension;

/** Stands in for Spring's extension of the same name: core recognises a Spring test by this name only. */
public class SpringExtension implements Extension {}
