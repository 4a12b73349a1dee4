expectedTests = 2
evaluate(new File(itSources, 'tests-ran.groovy'))
true // the check's own result (the Java versions seen) is not a verdict
