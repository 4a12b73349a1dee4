expectedTests = 2
evaluate(new File(itSources, 'tests-ran.groovy'))
