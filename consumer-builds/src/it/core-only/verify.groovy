expectedTests = 3
evaluate(new File(itSources, 'tests-ran.groovy'))
// the README's teardown snippet is this project's ReportTest
def readmeText = new File(readme).text
def test = new File(basedir, 'src/test/java/com/example/ReportTest.java').text
def shown = test.substring(test.indexOf('@Cleanroom'), test.indexOf('        pool.submit')).trim() + '\n    }'
assert readmeText.contains(shown) : "README.md's 'Ordered teardown' must show, verbatim:\n" + shown
def deleteTree = test.substring(test.indexOf('    static void deleteTree'), test.indexOf('    static final List<Path> DIRS')).trim()
assert readmeText.contains(deleteTree) : "README.md's 'Ordered teardown' must show, verbatim:\n" + deleteTree
