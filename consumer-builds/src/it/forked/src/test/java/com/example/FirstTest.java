package com.example;

class FirstTest extends ForkedTestBase {}
