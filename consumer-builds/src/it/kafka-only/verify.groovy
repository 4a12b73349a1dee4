expectedTests = 2
evaluate(new File(basedir, '../tests-ran.groovy'))
