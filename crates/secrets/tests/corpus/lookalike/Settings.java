public class Settings {
    private String password;
    public void setPassword(String password) { this.password = password; }
    String token = System.getenv("API_TOKEN");
    static final String PASSWORD_PARAM = "password";
    if (password.equals("")) { throw new IllegalStateException("password missing"); }
}
