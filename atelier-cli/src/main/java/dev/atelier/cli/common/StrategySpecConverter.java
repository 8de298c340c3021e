package dev.atelier.cli.common;

import dev.atelier.core.strategy.StrategyRegistry;
import dev.atelier.core.strategy.StrategySpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converter for a {@code --strategy} option: {@link StrategyRegistry#parse}, whose one-line
 * refusal (listing the accepted specs) becomes the usage error.
 */
public final class StrategySpecConverter implements ITypeConverter<StrategySpec> {
    @Override
    public StrategySpec convert(String value) {
        try {
            return StrategyRegistry.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
