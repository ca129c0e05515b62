package org.vigie.screening;

class InMemoryScreenedRecordsTest
        extends ScreenedRecordsContractTest
{
    @Override
    protected ScreenedRecords create()
    {
        return ScreenedRecords.inMemory();
    }
}
