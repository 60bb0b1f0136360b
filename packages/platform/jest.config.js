// Jest config of @azora/platform: the shared preset; the launcher test boots the whole platform.
module.exports = { preset: '@azora/testing', testTimeout: 120000 };
