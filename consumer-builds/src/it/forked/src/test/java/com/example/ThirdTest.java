package com.example;

class ThirdTest extends ForkedTestBase {}
