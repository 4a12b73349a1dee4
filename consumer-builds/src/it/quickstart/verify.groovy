// ran and passed: the two repetitions
expectedTests = 2
evaluate(new File(itSources, 'tests-ran.groovy'))

// the README shows this project's dependencies and test class verbatim
def readmeText = new File(readme).text
def pom = new File(basedir, 'pom.xml').text
def deps = (pom =~ /(?s)<!-- README quick start: begin -->\n(.*?)\n\s*<!-- README quick start: end -->/)[0][1]
        .stripIndent()
assert readmeText.contains(deps) : "README.md's quick start must show, verbatim:\n" + deps
def test = new File(basedir, 'src/test/java/com/example/QuickStartTest.java').text
def body = test.substring(test.indexOf('@IsolatedKafka')).trim()
assert readmeText.contains(body) : "README.md's quick start must show, verbatim:\n" + body
