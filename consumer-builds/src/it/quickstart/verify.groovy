// ran and passed: the two repetitions
expectedTests = 2
evaluate(new File(itSources, 'tests-ran.groovy'))
// README.md and docs/ show parts of this project between tag:: and end:: markers; DocsCheckTest
// (examples module, part of ./mvnw verify) fails when they differ.
true
