return sws.policy.extend("default", {})
