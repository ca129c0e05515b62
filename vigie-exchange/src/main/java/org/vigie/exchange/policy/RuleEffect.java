package org.vigie.exchange.policy;

public enum RuleEffect
{
    ALLOW, DENY
}
