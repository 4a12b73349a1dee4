package com.example;

class FourthTest extends ForkedTestBase {}
