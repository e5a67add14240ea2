// Lambda-like environment for every test; individual tests override what they exercise.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_DEV ??= 'false';
// Create's wiring loads the phone library only when OTP_CHANNELS includes SMS; tests wire SMS directly.
await (await import('../shared/otp/phoneLibrary.js')).loadPhoneLibrary();
