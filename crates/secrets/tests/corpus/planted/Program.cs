namespace Shop;
public static class Config
{
    public const string Storage = "DefaultEndpointsProtocol=https;AccountName=shopcs;AccountKey=JxwvwIJcYob36EfVhx4aANE37BZub7uewty4AOUpMMA0PhTqO5BH3oEOl5/2Hcom4PTo+pt0Zsm5ZsWTAbn6MH==;EndpointSuffix=core.windows.net";
    public const string Sql = "sqlserver://sa_app:rsbQ9TwTnLZYeBdZTP@sql.prod.internal:1433";
    private static string apiToken = "12T_gMFBGo-QCiK-SpzDS4mv";
}
