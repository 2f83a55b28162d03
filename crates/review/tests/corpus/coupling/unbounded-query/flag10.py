# fcto-corpus-path: app/api/users.py
from sqlalchemy import select

@router.get("/users")
def list_users(session: Session):
    return session.scalars(
        select(User).where(User.active.is_(True))
    ).all()
