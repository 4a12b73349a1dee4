package com.example;

class SecondTest extends ForkedTestBase {}
