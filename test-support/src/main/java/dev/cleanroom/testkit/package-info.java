/**
 * Support for Cleanroom's own tests, not published: {@link dev.cleanroom.testkit.EngineKit}
 * runs small fixture classes through the Jupiter engine so that a test can assert their
 * outcomes and messages; {@link dev.cleanroom.testkit.Leftovers} and
 * {@link dev.cleanroom.testkit.Containers} tell what a piece of code left behind;
 * {@link dev.cleanroom.testkit.Pairing} makes two tests meet while both own their resources;
 * {@link dev.cleanroom.testkit.ServerFaults} finds a shared server's container or process for
 * the tests that make it die or hang.
 */
package dev.cleanroom.testkit;
