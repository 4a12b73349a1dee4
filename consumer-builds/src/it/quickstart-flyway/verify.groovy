expectedTests = 3 // the quick start's two repetitions and FlywayMigratedTest
evaluate(new File(itSources, 'tests-ran.groovy'))
true // the check's own result (the Java versions seen) is not a verdict
