// ran and passed: the listener test twice, the context-count test once
expectedTests = 3
evaluate(new File(itSources, 'tests-ran.groovy'))

// the README's Spring section shows this project's Cleanroom dependencies verbatim
def readmeText = new File(readme).text
def pom = new File(basedir, 'pom.xml').text
def deps = (pom =~ /(?s)<!-- README Spring: begin -->\n(.*?)\n\s*<!-- README Spring: end -->/)[0][1].stripIndent()
assert readmeText.contains(deps) : "README.md's Spring section must show, verbatim:\n" + deps
true
