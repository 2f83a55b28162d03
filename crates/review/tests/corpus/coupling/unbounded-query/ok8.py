# fcto-corpus-path: app/api/users.py
from sqlalchemy import select

@router.get("/users")
def list_users(session: Session, page: int = 0):
    return session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.id).limit(50).offset(page * 50)
    ).all()
